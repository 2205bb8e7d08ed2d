package main

// sdkLogLevelVariables set the level of the plugin libraries' own logging
// and of this provider's logger. Left unset, each defaults to TRACE: the
// libraries then format a JSON line for every validator, plan modifier and
// protocol message, and Terraform parses and discards each of them unless
// its own logging is on. For a plan of a few thousand resources that is
// most of the CPU the provider and Terraform spend.
var sdkLogLevelVariables = []string{
	"TF_LOG_SDK",
	"TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_AGILICUS",
}

// quietUnrequestedLogs makes the plugin libraries log at the level the user
// asked Terraform for (TF_LOG_PROVIDER, else TF_LOG), and not at all when
// the user asked for no logs. A level set explicitly for one library is
// left alone. Terraform passes its environment to the provider process, so
// the user's TF_LOG settings are visible here.
func quietUnrequestedLogs(getenv func(string) string, setenv func(string, string) error) {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level == "" {
		level = "OFF"
	}
	for _, name := range sdkLogLevelVariables {
		if getenv(name) == "" {
			_ = setenv(name, level)
		}
	}
}
