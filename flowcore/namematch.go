package flowcore

import (
	"slices"
	"strings"
	"unicode"
)

// This file holds /identity/match's name score: a documented,
// deterministic stand-in for Plaid's fuzzy matching, shaped after the
// scores Plaid's sandbox gives (an exact name 100, a dropped or
// abbreviated middle name 99, a one-letter typo in the low 90s, another
// person's name under 30).

// NameMatch is the legal_name object of /identity/match
// (NameMatchScore).
type NameMatch struct {
	Score                      *int  `json:"score"`
	IsFirstNameOrLastNameMatch *bool `json:"is_first_name_or_last_name_match"`
	IsNicknameMatch            *bool `json:"is_nickname_match"`
	IsBusinessNameDetected     *bool `json:"is_business_name_detected"`
}

// businessWords mark a business name (Plaid names these four).
var businessWords = []string{"corp", "llc", "inc", "ltd"}

// ScoreName compares the name an app sent with the name on the account.
// Both are compared case-insensitively, without punctuation and with
// spaces collapsed. The rule:
//   - either name empty: score null, and the booleans null;
//   - the same words: 100;
//   - the same first and last words, and each middle word of the shorter
//     name equal to, or the initial of, a middle word of the longer (or no
//     middle words): 99;
//   - otherwise 100 × (1 − d / n), rounded down and at most 98, where d is
//     the Levenshtein distance between the two names' first and last words
//     ("first last", or the one word of a one-word name) and n the longer
//     of those two strings' lengths in characters.
//
// is_first_name_or_last_name_match is whether the first or the last words
// are equal; is_nickname_match is always false (linksim knows no
// nicknames); is_business_name_detected is whether either name has a word
// CORP, LLC, INC or LTD.
func ScoreName(given, onAccount string) NameMatch {
	a, b := nameWords(given), nameWords(onAccount)
	if len(a) == 0 || len(b) == 0 {
		return NameMatch{}
	}
	f := false
	firstOrLast := a[0] == b[0] || a[len(a)-1] == b[len(b)-1]
	business := slices.ContainsFunc(append(slices.Clone(a), b...), func(w string) bool { return slices.Contains(businessWords, w) })
	score := nameScore(a, b)
	return NameMatch{Score: &score, IsFirstNameOrLastNameMatch: &firstOrLast, IsNicknameMatch: &f, IsBusinessNameDetected: &business}
}

func nameScore(a, b []string) int {
	if slices.Equal(a, b) {
		return 100
	}
	if a[0] == b[0] && a[len(a)-1] == b[len(b)-1] && middlesAgree(a, b) {
		return 99
	}
	x, y := firstLast(a), firstLast(b)
	n := max(len([]rune(x)), len([]rune(y)))
	return min(98, 100*(n-levenshtein([]rune(x), []rune(y)))/n)
}

// firstLast is a name's first and last words ("smith" for a one-word name).
func firstLast(w []string) string {
	if len(w) == 1 {
		return w[0]
	}
	return w[0] + " " + w[len(w)-1]
}

// middlesAgree reports whether every middle word of the name with fewer
// middle words matches, in order, a middle word of the other: equal, or
// one is the other's initial.
func middlesAgree(a, b []string) bool {
	if len(a) < 2 || len(b) < 2 {
		return false // a one-word name has no distinct first and last
	}
	ma, mb := a[1:len(a)-1], b[1:len(b)-1]
	if len(ma) > len(mb) {
		ma, mb = mb, ma
	}
	j := 0
	for _, w := range ma {
		for j < len(mb) && !sameOrInitial(w, mb[j]) {
			j++
		}
		if j == len(mb) {
			return false
		}
		j++
	}
	return true
}

func sameOrInitial(x, y string) bool {
	rx, ry := []rune(x), []rune(y)
	return x == y || (len(rx) == 1 && rx[0] == ry[0]) || (len(ry) == 1 && ry[0] == rx[0])
}

// nameWords lower-cases a name, drops everything but letters, digits and
// spaces, and splits it into words.
func nameWords(s string) []string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		case unicode.IsSpace(r) || r == '-':
			return ' '
		}
		return -1
	}, s)
	return strings.Fields(s)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
