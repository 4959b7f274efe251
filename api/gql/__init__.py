"""The GraphQL edge: one schema over the controllers the REST routes use, served at /graphql."""
