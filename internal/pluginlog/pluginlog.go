// Package pluginlog sets the log levels of the Terraform plugin libraries
// in a provider process.
package pluginlog

import "strings"

// QuietUnrequested makes the plugin libraries and the provider's own logger
// (named after the provider type, e.g. "agilicus") log at the level the
// user asked Terraform for (TF_LOG_PROVIDER, else TF_LOG), and not at all
// when the user asked for no logs. A level set explicitly for one of them
// is left alone.
//
// Left unset, each level defaults to TRACE: the libraries then format a JSON
// line for every validator, plan modifier and protocol message, and
// Terraform parses and discards each of them unless its own logging is on.
// For a plan of a few thousand resources that is a large share of the CPU
// the provider and Terraform spend. Terraform passes its environment to the
// provider process, so the user's TF_LOG settings are visible here.
func QuietUnrequested(providerType string, getenv func(string) string, setenv func(string, string) error) {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level == "" {
		level = "OFF"
	}
	for _, name := range Variables(providerType) {
		if getenv(name) == "" {
			_ = setenv(name, level)
		}
	}
}

// Variables are the environment variables that set the plugin libraries'
// levels and the provider logger's level.
func Variables(providerType string) []string {
	return []string{
		"TF_LOG_SDK",
		"TF_LOG_SDK_PROTO",
		"TF_LOG_SDK_FRAMEWORK",
		"TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_")),
	}
}
