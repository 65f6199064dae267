package txnfile

import (
	"bytes"
	"testing"
)

// FuzzIDArena: IDs of any lengths (up to three chunks' worth) come back
// from get and strings as they were added, across chunk boundaries and
// chunks of one long ID.
func FuzzIDArena(f *testing.F) {
	f.Add([]byte("abc"), 7)
	f.Add([]byte{255, 1, 2, 255, 0, 94, 94}, 0)
	f.Add(bytes.Repeat([]byte{3}, 40), 3000)
	f.Add([]byte{200, 9, 200, 200, 10}, 400) // longer than a chunk
	f.Fuzz(func(t *testing.T, lens []byte, repeat int) {
		repeat = 1 + min(max(repeat, 0), 3000)
		var a idArena
		var want [][]byte
		for i, l := range lens {
			id := bytes.Repeat([]byte{byte(i), l}, 1+int(l)*int(l)*repeat/256) // 2 bytes to 3 chunks and more
			a.add(id)
			want = append(want, id)
			if got := a.get(int32(i)); !bytes.Equal(got, id) {
				t.Fatalf("ID %d: got %d bytes, want %d", i, len(got), len(id))
			}
		}
		if a.len() != len(want) {
			t.Fatalf("len %d, want %d", a.len(), len(want))
		}
		strs := a.strings()
		for i, id := range want {
			if got := a.get(int32(i)); !bytes.Equal(got, id) {
				t.Fatalf("ID %d after all adds: %d bytes, want %d", i, len(got), len(id))
			}
			if strs[i] != string(id) {
				t.Fatalf("string %d: %d bytes, want %d", i, len(strs[i]), len(id))
			}
		}
	})
}
