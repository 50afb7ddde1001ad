// Package locale picks the language of the message catalogue
// (model/ledgererr) for a request's Accept-Language header or a command's
// POSIX locale environment, with golang.org/x/text's matcher: the best
// supported match, English when nothing matches.
package locale

import (
	"strings"

	"golang.org/x/text/language"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// tags are the catalogue's languages as BCP 47 tags, in the order of
// ledgererr.Languages (the default first, as the matcher wants it).
var tags = func() []language.Tag {
	t := make([]language.Tag, len(ledgererr.Languages))
	for i, l := range ledgererr.Languages {
		t[i] = language.MustParse(string(l))
	}
	return t
}()

var matcher = language.NewMatcher(tags)

// FromAcceptLanguage returns the catalogue's language an Accept-Language
// header asks for ("zh-CN,zh;q=0.9,en;q=0.8"): English when the header is
// empty, malformed or names no language of the catalogue.
func FromAcceptLanguage(header string) ledgererr.Language {
	if strings.TrimSpace(header) == "" {
		return ledgererr.English
	}
	_, index, confidence := matcher.Match(parseList(header)...)
	if confidence == language.No {
		return ledgererr.English
	}
	return ledgererr.Languages[index]
}

func parseList(header string) []language.Tag {
	accepted, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return nil
	}
	return accepted
}

// FromEnvironment returns the catalogue's language of a POSIX locale: the
// first set of LC_ALL, LC_MESSAGES and LANG ("zh_CN.UTF-8"); English when
// none is set, or it is C or POSIX, or names no language of the catalogue.
func FromEnvironment(getenv func(string) string) ledgererr.Language {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".") // the codeset: zh_CN.UTF-8
		v, _, _ = strings.Cut(v, "@") // the modifier: sr_RS@latin
		if v == "C" || v == "POSIX" {
			return ledgererr.English
		}
		tag, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
		if err != nil {
			return ledgererr.English
		}
		_, index, confidence := matcher.Match(tag)
		if confidence == language.No {
			return ledgererr.English
		}
		return ledgererr.Languages[index]
	}
	return ledgererr.English
}
