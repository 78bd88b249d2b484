"""The website scanner (CSM-11.2, 11.3): links to social media and the warning shown before leaving the site."""
