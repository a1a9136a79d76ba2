package server

import (
	"container/list"
	"net"
	"net/http"
	"sync"
)

// ConnLimiter is a listener that serves at most max connections at once,
// like netutil.LimitListener, except that idle keep-alive connections do
// not keep new clients out: at the limit, the connection idle longest is
// closed to make room (a client reusing it reconnects, as HTTP clients do
// for an idle connection the server closed). Only connections with a
// request on the way or under way make a new client wait. Set the
// http.Server's ConnState to the limiter's ConnState.
type ConnLimiter struct {
	net.Listener
	mu    sync.Mutex
	max   int
	open  int                        // slots taken: accepted, or being accepted
	idle  *list.List                 // idle connections, longest idle first
	where map[net.Conn]*list.Element // a connection's place in idle
	freed chan struct{}              // a slot was given back
	done  chan struct{}              // closed with the listener
	once  sync.Once
}

// LimitConns returns a ConnLimiter on ln serving at most max connections.
func LimitConns(ln net.Listener, max int) *ConnLimiter {
	return &ConnLimiter{Listener: ln, max: max, idle: list.New(), where: map[net.Conn]*list.Element{},
		freed: make(chan struct{}, 1), done: make(chan struct{})}
}

// Accept waits for a free slot, closing the longest-idle connection when
// all are taken, then accepts a connection.
func (l *ConnLimiter) Accept() (net.Conn, error) {
	for !l.take() {
		select {
		case <-l.freed:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.give()
		return nil, err
	}
	return c, nil
}

// take takes a slot if one is free; if not, it closes the connection idle
// longest (its slot comes back when the server sees it closed).
func (l *ConnLimiter) take() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open < l.max {
		l.open++
		return true
	}
	if e := l.idle.Front(); e != nil {
		c := e.Value.(net.Conn)
		l.idle.Remove(e)
		delete(l.where, c)
		c.Close()
	}
	return false
}

func (l *ConnLimiter) give() {
	l.mu.Lock()
	l.open--
	l.mu.Unlock()
	select {
	case l.freed <- struct{}{}:
	default:
	}
}

// ConnState follows each connection's state: idle ones may be closed to
// make room, closed ones give their slot back.
func (l *ConnLimiter) ConnState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	if e, ok := l.where[c]; ok {
		l.idle.Remove(e)
		delete(l.where, c)
	}
	switch s {
	case http.StateIdle:
		l.where[c] = l.idle.PushBack(c)
	case http.StateClosed, http.StateHijacked:
		l.mu.Unlock()
		l.give()
		return
	}
	l.mu.Unlock()
}

// Close closes the listener and ends a wait in Accept.
func (l *ConnLimiter) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}
