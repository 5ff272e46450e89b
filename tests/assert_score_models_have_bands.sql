-- Every score model has bands, or its contacts could not be banded.
-- Returns the score models without any.

select score_models.score_model

from {{ ref('score_models') }} as score_models
left join {{ ref('score_bands') }} as score_bands
    on trim(score_models.score_model) = trim(score_bands.score_model)
where score_bands.band is null
