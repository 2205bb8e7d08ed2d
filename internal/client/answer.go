package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// MaxAnswerBytes bounds how much of a successful answer is read. The largest
// legitimate answer is a page of 500 billing accounts, each with its
// organisations and payment-backend data: a few MiB. A server that sends
// more, or never stops sending, gets an error instead of the provider's
// memory.
const MaxAnswerBytes = 32 << 20

// snippetBytes is how much of an unexpected answer an error quotes.
const snippetBytes = 120

// UnexpectedAnswerError is a 2xx answer the client cannot use: too large,
// not JSON, not the expected shape, or about another object than the one
// asked for. The server answered with success, so it may have acted on the
// request (see MayHaveActed).
type UnexpectedAnswerError struct {
	Method      string
	URL         string
	StatusCode  int
	ContentType string
	// Snippet is the start of the body, made printable.
	Snippet string
	// Reason says what is wrong with the answer.
	Reason string
}

func (e *UnexpectedAnswerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: unexpected %d answer: %s", e.Method, e.URL, e.StatusCode, e.Reason)
	if e.ContentType != "" || e.Snippet != "" {
		fmt.Fprintf(&b, " (content type %q", e.ContentType)
		if e.Snippet != "" {
			fmt.Fprintf(&b, ", body starts %q", e.Snippet)
		}
		b.WriteString(")")
	}
	if looksLikeHTML(e.ContentType, e.Snippet) {
		b.WriteString("; the host does not look like the Agilicus API: check the provider's host setting")
	}
	return b.String()
}

// readAnswer reads a successful answer's body, at most MaxAnswerBytes of it.
func readAnswer(req request, resp *http.Response) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxAnswerBytes {
		return nil, &UnexpectedAnswerError{
			Method: req.method, URL: req.url, StatusCode: resp.StatusCode,
			ContentType: resp.Header.Get("Content-Type"), Snippet: snippet(data),
			Reason: fmt.Sprintf("the body is larger than the limit of %d MiB", MaxAnswerBytes>>20),
		}
	}
	return data, nil
}

// decodeAnswer decodes a JSON answer into out, explaining a body that is
// not JSON or not of the expected shape.
func decodeAnswer(req request, resp *http.Response, data []byte, out any) error {
	err := json.Unmarshal(data, out)
	if err == nil {
		return nil
	}
	reason := "the body is not JSON"
	var typeErr *json.UnmarshalTypeError
	if json.Valid(data) {
		reason = "the body is JSON but not of the expected shape: " + err.Error()
	} else if errors.As(err, &typeErr) {
		reason = err.Error()
	}
	return &UnexpectedAnswerError{
		Method: req.method, URL: req.url, StatusCode: resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"), Snippet: snippet(data), Reason: reason,
	}
}

// snippet returns the start of data as printable text for an error message.
func snippet(data []byte) string {
	data = bytes.TrimSpace(data)
	cut := len(data) > snippetBytes
	if cut {
		data = []byte(truncateUTF8(string(data), snippetBytes))
	}
	text := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(string(data), " "))
	text = strings.Join(strings.Fields(text), " ")
	if cut {
		text += "..."
	}
	return text
}

func looksLikeHTML(contentType, body string) bool {
	return strings.Contains(strings.ToLower(contentType), "html") || strings.HasPrefix(strings.ToLower(body), "<")
}
