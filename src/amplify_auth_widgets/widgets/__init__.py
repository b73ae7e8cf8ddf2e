"""The user interface: ipywidgets over the headless core. Widgets call the core, never the
other way round."""
