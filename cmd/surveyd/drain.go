package main

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// freshConns counts the connections that have been accepted but have not
// sent their first request yet (http.StateNew), through http.Server's
// ConnState hook.
type freshConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// track is an http.Server ConnState hook.
func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conns == nil {
		f.conns = map[net.Conn]struct{}{}
	}
	if state == http.StateNew {
		f.conns[c] = struct{}{}
	} else {
		delete(f.conns, c)
	}
}

// waitNone waits until no accepted connection is still to send its first
// request, or ctx ends. The server's ReadHeaderTimeout bounds how long a
// silent connection can hold it up.
func (f *freshConns) waitNone(ctx context.Context) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		f.mu.Lock()
		n := len(f.conns)
		f.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// drainAndShutdown stops the server without dropping a request a client has
// already sent. http.Server.Shutdown alone closes the listener and then
// closes, unanswered, any request it reads from then on, including the first
// request of a connection accepted just before. So: close the listener and
// wait for Serve to return (every accepted connection is then known), turn
// keep-alives off (each connection closes after its current request, idle
// ones now), wait until every accepted connection has sent its request, and
// only then Shutdown, which waits for those requests to finish. served is
// the channel Serve's result arrives on.
func drainAndShutdown(ctx context.Context, srv *http.Server, ln net.Listener, served <-chan error, fresh *freshConns) error {
	_ = ln.Close()
	select {
	case <-served:
	case <-ctx.Done():
	}
	srv.SetKeepAlivesEnabled(false)
	fresh.waitNone(ctx)
	return srv.Shutdown(ctx)
}
