"""The web app's server: ``amplify-auth app`` runs Voila (``serve``) through ``voila``, which
closes it to other sites' pages; the app's notebook and Voila template ship beside them."""
