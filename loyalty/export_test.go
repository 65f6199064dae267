package loyalty

// DisableMonthFolding keeps every month's days in the headers s writes:
// the plain form the month fold is tested against.
func DisableMonthFolding(s *Service) { s.noMonthFold = true }
