"""engine.render: result values as text, Markdown and HTML; renderers compute nothing.

Holds the one document model (document, rendered through templates/), explanations of a suggestion (explanation),
the ruleset document (ruleset_document), diff and variation reports (diff_report,
variation_report) and the heatmap picture (heatmap). It is the top engine stage: it may import
every other stage, and no engine stage may import it (the service may).
"""
