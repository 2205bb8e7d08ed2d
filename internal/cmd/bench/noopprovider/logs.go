package main

// logLevelVariables set the level of the plugin libraries' own logging and
// of this provider's logger (named after the provider type, noop). Left
// unset, each defaults to TRACE, and formatting a log line for every
// validator, plan modifier and protocol message would be most of the
// provider's CPU time. The Agilicus provider sets the same variables (see
// log_levels.go at the repository root), so both are measured alike.
var logLevelVariables = []string{
	"TF_LOG_SDK",
	"TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_NOOP",
}

// quietUnrequestedLogs sets each of logLevelVariables that is unset to the
// level the user asked Terraform for (TF_LOG_PROVIDER, else TF_LOG), or OFF
// when the user asked for none.
func quietUnrequestedLogs(getenv func(string) string, setenv func(string, string) error) {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level == "" {
		level = "OFF"
	}
	for _, name := range logLevelVariables {
		if getenv(name) == "" {
			_ = setenv(name, level)
		}
	}
}
