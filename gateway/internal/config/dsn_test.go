package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// What is left of a DSN without its secrets keeps every other part, and a password is found however it is
// written: with a character a URL should escape, quoted with an escaped quote, or in a string that does not parse.
func TestWithoutDSNSecretsKeepsAllButThePassword(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://u:pa/ss?#@h:5432/db":                     "postgres://u@h:5432/db",
		"postgresql://u@h/db?sslmode=require&Password=x&a=b": "postgresql://u@h/db?sslmode=require&a=b",
		`host=h password='a\' b' dbname = db`:                "host=h dbname=db",
		"host=h  sslpassword=x\tuser=u":                      "host=h user=u",
		"host=h password='open":                              "",
		"host=h password=x\\":                                "",
	} {
		got, held := withoutDSNSecrets(dsn)
		assert.True(t, held, dsn)
		assert.Equal(t, want, got, dsn)
	}
	for _, dsn := range []string{"postgres://u@h/db?sslmode=require", "host=h user=u dbname='a b'", ""} {
		got, held := withoutDSNSecrets(dsn)
		assert.False(t, held, dsn)
		assert.Equal(t, dsn, got)
	}
}
