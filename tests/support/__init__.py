"""What the tests share beyond conftest's fixtures: the browser (``browser``), the
emulator's wire checks (``wire``), the leak check (``leaks``), the Gen 2 toolchain
(``toolchain``), Node evaluation of generated files (``gen2_eval``) and hypothesis
strategies for requests built from the service model (``strategies``)."""
