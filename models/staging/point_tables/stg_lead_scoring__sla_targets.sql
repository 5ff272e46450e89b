-- Point table sla_targets, cleaned and typed once (macros/point_tables/point_table_contract.sql).
{{ lead_scoring.stage_point_table('sla_targets') }}
