"""The pack's sections, one package each: ``analysis`` (figures from inputs), ``words``
(sentences from figures) and ``views`` (tables and charts), with one public face per
section in its ``__init__``."""
