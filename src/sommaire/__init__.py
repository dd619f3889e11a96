"""Sommaire: the living documentation directory of the Ségur du numérique en santé."""
