package pluginlog

import (
	"maps"
	"testing"
)

func TestQuietUnrequested(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{
			name: "no logging asked for",
			env:  map[string]string{},
			want: map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_AGILICUS": "OFF"},
		},
		{
			name: "TF_LOG is followed",
			env:  map[string]string{"TF_LOG": "DEBUG"},
			want: map[string]string{"TF_LOG": "DEBUG", "TF_LOG_SDK": "DEBUG", "TF_LOG_SDK_PROTO": "DEBUG", "TF_LOG_SDK_FRAMEWORK": "DEBUG", "TF_LOG_PROVIDER_AGILICUS": "DEBUG"},
		},
		{
			name: "TF_LOG_PROVIDER wins and explicit library levels stay",
			env:  map[string]string{"TF_LOG": "WARN", "TF_LOG_PROVIDER": "TRACE", "TF_LOG_SDK_PROTO": "ERROR"},
			want: map[string]string{"TF_LOG": "WARN", "TF_LOG_PROVIDER": "TRACE", "TF_LOG_SDK": "TRACE", "TF_LOG_SDK_PROTO": "ERROR", "TF_LOG_SDK_FRAMEWORK": "TRACE", "TF_LOG_PROVIDER_AGILICUS": "TRACE"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := maps.Clone(tt.env)
			QuietUnrequested("agilicus", func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			if !maps.Equal(env, tt.want) {
				t.Fatalf("environment %v, want %v", env, tt.want)
			}
		})
	}
}
