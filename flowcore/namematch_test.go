package flowcore

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestScoreName(t *testing.T) {
	const owner = "Alberta Bobbeth Charleson"
	tests := []struct {
		given, onAccount string
		score            int // -1: null
		firstOrLast      bool
		business         bool
	}{
		{"Alberta Bobbeth Charleson", owner, 100, true, false},
		{"  alberta   BOBBETH charleson. ", owner, 100, true, false},
		{"ALBERTA B CHARLESON", owner, 99, true, false},
		{"Alberta Charleson", owner, 99, true, false},
		{"Alberta X Charleson", owner, 98, true, false}, // a wrong middle initial is not the same person for sure
		{"Alberta Charlson", owner, 94, true, false},
		{"Roberto Gonzalez", owner, 35, false, false},
		{"Acme Holdings LLC", owner, 23, false, true},
		{"John Smith", "john smith", 100, true, false},
		{"Jon Smith", "John Smith", 90, true, false},
		{"Smith", "John Smith", 50, true, false},
		{"", owner, -1, false, false},
		{"John Smith", "", -1, false, false},
		{"!!!", "John Smith", -1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.given+"/"+tt.onAccount, func(t *testing.T) {
			got := ScoreName(tt.given, tt.onAccount)
			if tt.score < 0 {
				assert.Equal(t, NameMatch{}, got)
				return
			}
			if assert.NotNil(t, got.Score) {
				assert.Equal(t, tt.score, *got.Score)
			}
			assert.Equal(t, tt.firstOrLast, *got.IsFirstNameOrLastNameMatch)
			assert.Equal(t, tt.business, *got.IsBusinessNameDetected)
			assert.False(t, *got.IsNicknameMatch)
			assert.Equal(t, got, ScoreName(tt.given, tt.onAccount), "deterministic")
		})
	}
}
