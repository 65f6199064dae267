// Package postgres is a storage adapter for clientele on PostgreSQL.
package postgres
