package plaidapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/linksim/linksim/flowcore"
)

// loggedResponse records what a request was answered with, for its log
// line: the status, and the Plaid error_code and request_id of an API
// answer (write fills them in).
type loggedResponse struct {
	http.ResponseWriter
	status    int
	errorCode string
	requestID string
	dropped   bool // a Linksim-Fault drop closed the connection unanswered
}

func (w *loggedResponse) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggedResponse) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *loggedResponse) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// noteResponse records an API answer's error_code and request_id on the
// request's loggedResponse, if it has one: err's, or requestID when the
// answer is no error.
func noteResponse(w http.ResponseWriter, requestID string, err *flowcore.Error) {
	lw, ok := w.(*loggedResponse)
	if !ok {
		return
	}
	lw.requestID = requestID
	if err != nil {
		lw.errorCode, lw.requestID = err.Code, err.RequestID
	}
}

// noteDrop records on the request's loggedResponse, if it has one, that
// the connection was closed with no answer.
func noteDrop(w http.ResponseWriter) {
	if lw, ok := w.(*loggedResponse); ok {
		lw.dropped = true
	}
}

// logRequest writes a request's one line: method, path, status, Plaid
// error_code (empty on success), duration and request_id (empty for the
// page's files); status 0 and dropped=true for a connection a
// Linksim-Fault drop closed unanswered.
func (h *Handler) logRequest(r *http.Request, w *loggedResponse, start time.Time) {
	status := w.status
	if status == 0 && !w.dropped {
		status = http.StatusOK
	}
	attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
		slog.String("error_code", w.errorCode), slog.Duration("duration", time.Since(start)),
		slog.String("request_id", w.requestID)}
	if w.dropped {
		attrs = append(attrs, slog.Bool("dropped", true))
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}
