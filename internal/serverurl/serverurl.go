// Package serverurl parses the URL of a server the SDK or the tools talk to (a gateway, a Fabric CA) so that no
// password in it is kept or repeated: url.Parse's errors quote the whole URL, and an error that names a URL is
// written into logs and terminals.
package serverurl

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// ErrUserInfo is a URL that carries a user or a password, or any '@': the clients authenticate otherwise (an API
// key, a certificate, a token signed with the member's key) and would drop it. A server's URL has no use for an '@'
// elsewhere, and a password with a '/', '?' or '#' in it ends the host part early, so that url.Parse reads it as a
// port or a path that later errors would quote: every '@' is taken as the end of user information.
var ErrUserInfo = errors.New("no user or password may be in it")

// quoted matches a quoted part of url.Parse's reasons (strconv.Quote's form): the port, an escape or a host's
// character, each a piece of the URL.
var quoted = regexp.MustCompile(`\s*"(?:[^"\\]|\\.)*"`)

// Parse parses raw. Its error never quotes raw nor any part of it: for a URL that does not parse it tells the reason
// alone, and a URL with a user, a password or an '@' is ErrUserInfo, before any other check of the caller could
// quote it.
func Parse(raw string) (*url.URL, error) {
	if strings.Contains(raw, "@") {
		return nil, ErrUserInfo
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, errors.New(quoted.ReplaceAllString(err.Error(), ""))
	}
	if u.User != nil {
		return nil, ErrUserInfo
	}
	return u, nil
}
