package config

import (
	"net/url"
	"strings"
)

// dsnSecretKeys are the PostgreSQL connection parameters that hold a secret: the user's password and the
// passphrase of an encrypted client key (pgx reads both from a DSN).
var dsnSecretKeys = map[string]bool{"password": true, "sslpassword": true}

// withoutDSNSecrets returns dsn, a PostgreSQL connection string (a postgres:// URL or libpq's key=value form, as
// pgx reads it), without its secrets (dsnSecretKeys, and a URL's password), and whether it held one. A URL's user
// information ends at its last '@', so that a password with an unescaped '/', '?' or '#' is still taken as one. A
// key=value string that does not parse is taken as a secret whole: what is left of it is empty.
func withoutDSNSecrets(dsn string) (string, bool) {
	if scheme, rest, ok := strings.Cut(dsn, "://"); ok && (scheme == "postgres" || scheme == "postgresql") {
		return urlWithoutSecrets(scheme, rest)
	}
	return keywordsWithoutSecrets(dsn)
}

// urlWithoutSecrets is withoutDSNSecrets of a URL scheme://rest.
func urlWithoutSecrets(scheme, rest string) (string, bool) {
	held := false
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, hasPassword := strings.Cut(rest[:at], ":"); hasPassword {
			rest, held = user+rest[at:], true
		}
	}
	base, query, hasQuery := strings.Cut(rest, "?")
	if !hasQuery {
		return scheme + "://" + base, held
	}
	var kept []string
	for _, pair := range strings.Split(query, "&") {
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if dsnSecretKeys[strings.ToLower(key)] {
			held = true
			continue
		}
		kept = append(kept, pair)
	}
	return scheme + "://" + base + "?" + strings.Join(kept, "&"), held
}

// keywordsWithoutSecrets is withoutDSNSecrets of libpq's key=value form: pairs separated by spaces, a value
// single-quoted or not, a backslash escaping the next character in either.
func keywordsWithoutSecrets(dsn string) (string, bool) {
	var kept []string
	held := false
	s := strings.TrimSpace(dsn)
	for s != "" {
		key, after, ok := strings.Cut(s, "=")
		if !ok {
			return "", true
		}
		key = strings.TrimSpace(key)
		after = strings.TrimLeft(after, " \t\n\r\f\v")
		end, ok := valueEnd(after)
		if !ok {
			return "", true
		}
		if dsnSecretKeys[key] {
			held = true
		} else {
			kept = append(kept, key+"="+after[:end])
		}
		s = strings.TrimSpace(after[end:])
	}
	return strings.Join(kept, " "), held
}

// valueEnd is the length of the value that starts s in libpq's key=value form, or false when a quote or an escape
// is left open.
func valueEnd(s string) (int, bool) {
	quoted := strings.HasPrefix(s, "'")
	i := 0
	if quoted {
		i = 1
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
			if i == len(s) {
				return 0, false
			}
		case quoted && c == '\'':
			return i + 1, true
		case !quoted && strings.ContainsRune(" \t\n\r\f\v", rune(c)):
			return i, true
		}
	}
	return i, !quoted
}
