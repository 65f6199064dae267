package customer

// PhoneNormalizer turns a phone number as typed at a till into E.164
// ("+8613800138000"). The built-in DefaultPhones knows mainland China
// mobiles and landlines and the general E.164 shape; a host can plug in a
// full libphonenumber port instead.
type PhoneNormalizer interface {
	// NormalizePhone returns the E.164 form of raw, reading numbers without
	// a country code as numbers of defaultRegion (ISO 3166-1 alpha-2). It
	// returns an error matching ErrInvalid, without quoting raw, when raw is
	// not a phone number.
	NormalizePhone(raw, defaultRegion string) (string, error)
}
