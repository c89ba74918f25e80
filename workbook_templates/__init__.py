"""xl-kpi's bundled role specs and sample roster, installed as the package ``xl_kpi.templates``
(read them with ``xl_kpi.bundled_templates()`` or ``importlib.resources``)."""
