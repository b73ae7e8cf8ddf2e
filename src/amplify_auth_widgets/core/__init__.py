"""The core: what a backend auth configuration is and what is wrong with it, with no I/O.

The service model's field specs (``model``, which imports nothing else of the package), what a
check finds (``findings``), the model's checks and the Cognito and Amplify rules
(``validation``, ``rules``), what is secret and how it is kept out of every output
(``secrets``), skeletons and cli-input files (``skeleton``), configuration diffs (``diff``),
starting configurations (``presets``), the job lifecycle (``lifecycle``), the SQLite helper
(``db``) and spreadsheet-safe CSV (``csvsafe``).
"""
