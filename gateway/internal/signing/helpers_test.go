package signing

import (
	"encoding/asn1"
	"math/big"
)

func marshal(r, s *big.Int) ([]byte, error) { return asn1.Marshal(struct{ R, S *big.Int }{r, s}) }
