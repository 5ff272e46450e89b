-- Point table score_model_segments, cleaned and typed once (macros/point_tables/point_table_contract.sql).
{{ lead_scoring.stage_point_table('score_model_segments') }}
