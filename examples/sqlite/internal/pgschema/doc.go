// Package pgschema gives tests of this module a PostgreSQL schema of
// their own for the central services, on the server CLIENTELE_PG_DSN
// names (the variable examples/postgres's tests and .ci/run use).
package pgschema
