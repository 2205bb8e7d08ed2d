package jws

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"
)

func TestSignedTokensVerifyWithTheirKeyOnly(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	token, err := SignES256(key, map[string]any{"sub": "svc", "exp": 42})
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if err := VerifyES256(token, &key.PublicKey, &claims); err != nil || claims.Sub != "svc" || claims.Exp != 42 {
		t.Fatalf("verify with the signing key: %v, %+v", err, claims)
	}
	if err := VerifyES256(token, &other.PublicKey, &claims); err == nil {
		t.Fatal("a token verified with another key")
	}
	parts := strings.Split(token, ".")
	tampered := parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2]
	if err := VerifyES256(tampered, &key.PublicKey, &claims); err == nil {
		t.Fatal("a tampered token verified")
	}
	var unchecked struct {
		Exp int64 `json:"exp"`
	}
	if err := Claims(token, &unchecked); err != nil || unchecked.Exp != 42 {
		t.Fatalf("claims: %v %+v", err, unchecked)
	}
	for _, bad := range []string{"", "a.b", "a.b.c.d", "!!.!!.!!"} {
		if VerifyES256(bad, &key.PublicKey, &claims) == nil || (bad != "!!.!!.!!" && Claims(bad, &unchecked) == nil) {
			t.Errorf("%q was taken for a JWT", bad)
		}
	}
}
