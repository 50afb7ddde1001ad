package contracts

import (
	"reflect"

	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
	"github.com/hyperledger/fabric-contract-api-go/v2/serializer"
)

// plainJSON is contractapi's JSON serializer without its JSON-schema checks
// of every argument and every answer. Those checks hold nothing the
// chaincode does not already hold: every transaction function takes only
// strings (TestTransactionFunctionsTakeOnlyStrings), whose reflected schema
// is {"type":"string"}, and each validates them itself, answering "CODE:
// field: rule"; an answer is the JSON of the function's own Go value, which
// the check marshalled, parsed back into a map and walked against the
// schema reflected from that same type. A CPU profile of a registration
// (go test -bench ApplyAgainstBarePut -cpuprofile ./chaincode/assets) put
// four fifths of contractapi's Invoke in those checks (gojsonschema), on
// every endorsing peer of every transaction and query.
type plainJSON struct {
	serializer.JSONSerializer
}

// FromString converts an argument to the parameter's type, as contractapi's
// serializer does, without the schema check.
func (s *plainJSON) FromString(param string, fieldType reflect.Type, _ *metadata.ParameterMetadata, components *metadata.ComponentMetadata) (reflect.Value, error) {
	return s.JSONSerializer.FromString(param, fieldType, nil, components)
}

// ToString writes an answer as contractapi's serializer does (JSON for
// structures), without the schema check.
func (s *plainJSON) ToString(result reflect.Value, resultType reflect.Type, _ *metadata.ReturnMetadata, components *metadata.ComponentMetadata) (string, error) {
	return s.JSONSerializer.ToString(result, resultType, nil, components)
}
