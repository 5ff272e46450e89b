{#-
    Fails for every row where `expression` is not true. `message` is returned
    with each failing row (store failures to read it) and names the fix.
-#}
{% test expression_is_true(model, expression, message='', column_name=none) %}

select
    *,
    {{ lead_scoring.quote_literal(message) }} as failure_message

from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
