package validate

// TextRequiredIf checks a human text that is required (Text) when required
// holds and may be empty (OptionalText) otherwise: a reason that one
// decision needs and the others merely take.
func TextRequiredIf(required bool, field, s string, max int) error {
	if required {
		return Text(field, s, max)
	}
	return OptionalText(field, s, max)
}
