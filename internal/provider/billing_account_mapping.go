package provider

import (
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/agilicus/terraform-provider-agilicus/internal/client"
)

// Conversions of a billing account's API fields to Terraform values, shared
// by the resource and the data sources.

func accountCustomerID(a *client.BillingAccount) types.String {
	if a.Spec == nil || a.Spec.CustomerID == "" {
		return types.StringNull()
	}
	return types.StringValue(a.Spec.CustomerID)
}

// accountDevMode reads dev_mode; the API leaves it out when false.
func accountDevMode(a *client.BillingAccount) types.Bool {
	return types.BoolValue(a.Spec != nil && a.Spec.DevMode != nil && *a.Spec.DevMode)
}

func accountCreated(a *client.BillingAccount) types.String {
	if a.Metadata == nil {
		return types.StringNull()
	}
	return stringOrNull(a.Metadata.Created)
}

func accountUpdated(a *client.BillingAccount) types.String {
	if a.Metadata == nil {
		return types.StringNull()
	}
	return stringOrNull(a.Metadata.Updated)
}

// accountOrgIDs is the set of ids of the attached organisations.
func accountOrgIDs(a *client.BillingAccount) types.Set {
	var ids []attr.Value
	if a.Status != nil {
		for _, o := range a.Status.Orgs {
			if o.ID != "" {
				ids = append(ids, types.StringValue(o.ID))
			}
		}
	}
	return types.SetValueMust(types.StringType, ids)
}

// accountProducts lists product names in a stable order so that a server
// that reorders them does not produce a diff.
func accountProducts(a *client.BillingAccount) types.List {
	var names []string
	if a.Status != nil {
		for _, p := range a.Status.Products {
			if p.Name != "" {
				names = append(names, p.Name)
			}
		}
	}
	sort.Strings(names)
	vals := make([]attr.Value, 0, len(names))
	for _, n := range names {
		vals = append(vals, types.StringValue(n))
	}
	return types.ListValueMust(types.StringType, vals)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
