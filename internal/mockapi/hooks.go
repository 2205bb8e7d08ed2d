package mockapi

import (
	"bytes"
	"net/http"
)

// hookRoutes are the test hooks under /_mock/. They are not part of the
// Agilicus API: they need no token, are never subject to injected faults and
// are not counted in Stats.
func (s *Server) hookRoutes() []route {
	return []route{
		{http.MethodGet, "/_mock/stats", s.hookStats},
		{http.MethodPost, "/_mock/stats/reset", s.hookResetStats},
		{http.MethodPost, "/_mock/reset", s.hookReset},
		{http.MethodGet, "/_mock/faults", s.hookFaults},
		{http.MethodPut, "/_mock/faults", s.hookSetFaults},
		{http.MethodGet, "/_mock/state", s.hookState},
		{http.MethodGet, "/_mock/behaviour", s.hookBehaviour},
		{http.MethodPut, "/_mock/behaviour", s.hookSetBehaviour},
	}
}

func (s *Server) hookStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

func (s *Server) hookResetStats(w http.ResponseWriter, _ *http.Request) {
	s.ResetStats()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookReset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

// hookSetFaults replaces all fault settings; absent keys become zero.
func (s *Server) hookSetFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	err := decodeObject(r, &f, true)
	if err == nil {
		err = f.Validate()
	}
	if err != nil {
		writeBadBody(w, err)
		return
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) hookBehaviour(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Behaviour())
}

// hookSetBehaviour replaces all behaviour settings; absent keys take their
// defaults (API 1.125.2, no page cap, strict detach).
func (s *Server) hookSetBehaviour(w http.ResponseWriter, r *http.Request) {
	var b Behaviour
	err := decodeObject(r, &b, true)
	if err == nil {
		err = s.SetBehaviour(b)
	}
	if err != nil {
		writeBadBody(w, err)
		return
	}
	writeJSON(w, http.StatusOK, b.normalised())
}

// hookState returns the stored data in the state-file format of SaveState.
func (s *Server) hookState(w http.ResponseWriter, _ *http.Request) {
	var buf bytes.Buffer
	if err := s.SaveState(&buf); err != nil {
		writeError(w, http.StatusInternalServerError, "INTERNAL", "saving state: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
}
