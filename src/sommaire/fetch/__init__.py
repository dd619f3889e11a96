"""The one outbound HTTP client: `sommaire.fetch.client` is its public API."""
