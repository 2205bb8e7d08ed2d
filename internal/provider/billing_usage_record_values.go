package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// How the answer to a usage-record request becomes attributes, shared by
// the resource (which records) and the preview (a dry run).
//
// Older API versions answer with one record; newer ones with a list of
// records (one per subscription of the customer), or with 204 No Content
// when there is nothing to record because the customer has no
// subscriptions or no active resources. Nothing recorded is an answer, not
// a missing value: records is empty, quantity is 0 and timestamp is null.

var usageRecordAttrTypes = map[string]attr.Type{
	"quantity":  types.Int64Type,
	"timestamp": types.Int64Type,
}

var usageRecordObjectType = types.ObjectType{AttrTypes: usageRecordAttrTypes}

// usageRecordValues are the attributes made from one answer.
type usageRecordValues struct {
	// any is whether the API made at least one record.
	any       bool
	quantity  types.Int64
	timestamp types.Int64
	records   types.List
}

func newUsageRecordValues(res *client.UsageRecordResult) usageRecordValues {
	v := usageRecordValues{any: len(res.Records) > 0, quantity: types.Int64Value(0), timestamp: types.Int64Null()}
	elems := make([]attr.Value, 0, len(res.Records))
	var total int64
	for _, rec := range res.Records {
		elems = append(elems, types.ObjectValueMust(usageRecordAttrTypes, map[string]attr.Value{
			"quantity":  types.Int64PointerValue(rec.Quantity),
			"timestamp": types.Int64PointerValue(rec.Timestamp),
		}))
		if rec.Quantity == nil {
			// One record's quantity is unknown, so the total is too.
			v.quantity = types.Int64Null()
		} else {
			total += *rec.Quantity
		}
		if rec.Timestamp != nil && (v.timestamp.IsNull() || *rec.Timestamp > v.timestamp.ValueInt64()) {
			v.timestamp = types.Int64Value(*rec.Timestamp)
		}
	}
	if !v.quantity.IsNull() {
		v.quantity = types.Int64Value(total)
	}
	v.records = types.ListValueMust(usageRecordObjectType, elems)
	return v
}
