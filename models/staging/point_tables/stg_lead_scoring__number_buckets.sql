-- Point table number_buckets, cleaned and typed once (macros/point_tables/point_table_contract.sql).
{{ lead_scoring.stage_point_table('number_buckets') }}
