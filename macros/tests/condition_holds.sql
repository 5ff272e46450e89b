{#-
    Fails for every row where `expression` is not true: false, and also null
    (dbt-utils' expression_is_true lets a null through; this test does not,
    hence its own name). `message` is returned
    with each failing row (store failures to read it) and names the fix.
-#}
{% test condition_holds(model, expression, message='', column_name=none) %}

select
    *,
    {{ lead_scoring.quote_literal(message) }} as failure_message

from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
