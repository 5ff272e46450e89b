-- Point table predictive_weights, cleaned and typed once (macros/point_tables/point_table_contract.sql).
{{ lead_scoring.stage_point_table('predictive_weights') }}
