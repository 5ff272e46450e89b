{#-
    Select one row per contact and event rule that fires: implicit
    (engagement) rules and the event-based negative rules share this macro.

    An event matches a rule on its type and, when the rule has a page
    pattern, on its page path (`like ... escape '\'` on a pattern built by
    glob_to_like, so the pattern is data). Only events at or before the as-of
    timestamp count; `max_occurrences` caps how many count.

    events:     a relation with contact_id, event_type, page_path, occurred_at
    rules:      a relation shaped like int_scoring_rules
    categories: which rule categories to apply
    as_of:      a SQL timestamp expression
-#}
{% macro score_event_rules(events, rules, categories, as_of) -%}
    select
        matched.contact_id,
        matched.score_model,
        matched.rule_id,
        matched.category,
        matched.occurrences_matched,
        matched.occurrences_counted,
        matched.points_per_occurrence,
        cast(
            matched.occurrences_counted * matched.points_per_occurrence as {{ dbt.type_numeric() }}
        ) as points
    from (
        select
            events.contact_id,
            rules.score_model,
            rules.rule_id,
            rules.category,
            rules.points as points_per_occurrence,
            count(*) as occurrences_matched,
            case
                when rules.max_occurrences is not null and count(*) > rules.max_occurrences
                    then rules.max_occurrences
                else count(*)
            end as occurrences_counted
        from {{ events }} as events
        inner join {{ rules }} as rules
            on events.event_type = rules.event_type
        where
            rules.applies_to = 'event'
            and rules.category in ({% for category in categories %}{{ lead_scoring.quote_literal(category) }}{% if not loop.last %}, {% endif %}{% endfor %})
            and events.occurred_at <= {{ as_of }}
            and (
                rules.page_like_pattern is null
                or events.page_path like rules.page_like_pattern escape '\'
            )
        group by
            events.contact_id,
            rules.score_model,
            rules.rule_id,
            rules.category,
            rules.points,
            rules.max_occurrences
    ) as matched
{%- endmacro %}
