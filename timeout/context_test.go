package timeout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestContextMatchesTheStandardOne runs each story twice in a synctest
// bubble: once on context.WithDeadlineCause(parent, now+1s, ErrTimeout),
// whose cancel ends the request, once on the layer's deadlineContext,
// whose end does. What a handler (or code that outlived it) observes at
// each step must be the same: Deadline, Err, Cause, whether Done is
// closed, what a child context and a context.AfterFunc see.
func TestContextMatchesTheStandardOne(t *testing.T) {
	errGone := errors.New("the client went away")
	tests := []struct {
		name  string
		outer time.Duration // the parent's own deadline from now, 0 for none
		steps string        // space-separated; see run below
	}{
		{"in time, nobody waits", 0, "look sleep:500ms look end look"},
		{"in time, Done watched", 0, "done look sleep:500ms look end look"},
		{"deadline passes unobserved, seen after", 0, "sleep:1500ms look end look"},
		{"deadline passes while Done is watched", 0, "done sleep:999ms look sleep:1ms look end look"},
		{"deadline passes exactly at 1s", 0, "sleep:1s look"},
		{"returns late without looking, seen by a leftover goroutine", 0, "sleep:2s end look"},
		{"returns in time, seen late by a leftover goroutine", 0, "sleep:500ms end sleep:2s look"},
		{"returns in time, Done asked late", 0, "sleep:500ms end sleep:2s done look"},
		{"client goes away first, unobserved", 0, "sleep:200ms cancel sleep:2s look end look"},
		{"client goes away while Done is watched", 0, "done sleep:200ms cancel look sleep:2s look"},
		{"client goes away after the deadline passed", 0, "sleep:1500ms look cancel look"},
		{"parent's deadline is earlier", 500 * time.Millisecond, "look sleep:600ms look end look"},
		{"parent's deadline is earlier, Done watched", 500 * time.Millisecond, "done sleep:600ms look"},
		{"parent's deadline is later", 5 * time.Second, "look sleep:1500ms look"},
		{"a child context sees the deadline", 0, "child look sleep:1500ms look"},
		{"a child context sees the end", 0, "child sleep:100ms end look"},
		{"a child context sees the client go", 0, "child cancel look"},
		{"AfterFunc runs at the deadline", 0, "after look sleep:1500ms look"},
		{"AfterFunc runs at the end", 0, "after sleep:100ms end look"},
		{"AfterFunc registered after the deadline", 0, "sleep:1500ms after look"},
		// "cause" asks context.Cause before anything else has looked: Go
		// 1.25's Cause looks the cancelCtx up through Value before it calls
		// Err, so Value must hand over to the standard context too.
		{"Cause asked first after the deadline", 0, "sleep:1500ms cause look"},
		{"Cause asked first after a late return", 0, "sleep:2s end cause"},
		{"Cause asked first after an early return", 0, "sleep:500ms end sleep:2s cause"},
		{"Cause asked first after the client went", 0, "cancel cause sleep:2s cause"},
		{"Cause asked first in time", 0, "sleep:500ms cause"},
	}
	run := func(t *testing.T, outer time.Duration, steps string, lazy bool) string {
		var log strings.Builder
		synctest.Test(t, func(t *testing.T) {
			parent, cancelParent := context.WithCancelCause(context.Background())
			defer cancelParent(nil)
			if outer > 0 {
				var stop context.CancelFunc
				parent, stop = context.WithTimeout(parent, outer)
				defer stop()
			}
			var ctx context.Context
			var end func()
			if lazy {
				c := &deadlineContext{parent: parent, deadline: time.Now().Add(time.Second)}
				ctx, end = c, c.end
			} else {
				ctx, end = context.WithDeadlineCause(parent, time.Now().Add(time.Second), ErrTimeout)
			}
			start := time.Now()
			var child context.Context
			var done <-chan struct{}
			ran := make(chan time.Duration, 1)
			for _, step := range strings.Fields(steps) {
				op, arg, _ := strings.Cut(step, ":")
				switch op {
				case "sleep":
					d, err := time.ParseDuration(arg)
					if err != nil {
						t.Fatal(err)
					}
					time.Sleep(d)
					synctest.Wait()
				case "done":
					done = ctx.Done()
				case "cancel":
					cancelParent(errGone)
					synctest.Wait()
				case "end":
					end()
					synctest.Wait()
				case "child":
					var stop context.CancelFunc
					child, stop = context.WithCancel(ctx)
					defer stop()
				case "after":
					stop := context.AfterFunc(ctx, func() { ran <- time.Since(start) })
					defer stop()
					synctest.Wait()
				case "cause":
					fmt.Fprintf(&log, "at %v: cause %v\n", time.Since(start), context.Cause(ctx))
				case "look":
					d, ok := ctx.Deadline()
					fmt.Fprintf(&log, "at %v: deadline %v %v, err %v, cause %v", time.Since(start), d.Sub(start), ok, ctx.Err(), context.Cause(ctx))
					if done != nil {
						select {
						case <-done:
							fmt.Fprint(&log, ", done closed")
						default:
							fmt.Fprint(&log, ", done open")
						}
					}
					if child != nil {
						fmt.Fprintf(&log, ", child err %v cause %v", child.Err(), context.Cause(child))
					}
					select {
					case at := <-ran:
						fmt.Fprintf(&log, ", AfterFunc ran at %v", at)
					default:
					}
					fmt.Fprintln(&log)
				default:
					t.Fatalf("unknown step %q", step)
				}
			}
			end()
		})
		return log.String()
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := run(t, tt.outer, tt.steps, false)
			got := run(t, tt.outer, tt.steps, true)
			if got != want {
				t.Errorf("the layer's context:\n%s\nthe standard library's:\n%s", got, want)
			}
		})
	}
}

// TestContextIsTheRequestsOnlyAllocation: the deadline, its context and
// the request that carries it are one allocation; the writer is pooled. A
// skipped request costs nothing. The standard library's deadline costs
// five (context.WithTimeoutCause and the request copy, Go 1.26); the
// difference is deadlineContext's reason to exist.
func TestContextIsTheRequestsOnlyAllocation(t *testing.T) {
	if race {
		t.Skip("allocation counts mean nothing under the race detector")
	}
	h := Must(Options{Timeout: time.Minute})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
	}))
	r := httptest.NewRequest("GET", "/", nil)
	w := discard{}
	if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) }); n != 1 {
		t.Errorf("%v allocations per request, want 1", n)
	}
	skipped := Must(Options{Timeout: time.Minute, Skip: func(*http.Request) bool { return true }})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	if n := testing.AllocsPerRun(100, func() { skipped.ServeHTTP(w, r) }); n != 0 {
		t.Errorf("%v allocations per skipped request, want 0", n)
	}
}

// TestContextString names the parent and the deadline, as the standard
// library's contexts do for %v.
func TestContextString(t *testing.T) {
	d := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	c := &deadlineContext{parent: context.Background(), deadline: d}
	if got, want := fmt.Sprint(c), "context.Background.WithDeadline("+d.String()+")"; got != want {
		t.Errorf("%%v = %q, want %q", got, want)
	}
}

// TestContextUnderConcurrentUse: goroutines that wait on Done, ask Err
// and make children while the request ends agree on one outcome, with no
// race (go test -race) and no goroutine left behind.
func TestContextUnderConcurrentUse(t *testing.T) {
	for i := range 50 {
		c := &deadlineContext{parent: context.Background(), deadline: time.Now().Add(time.Duration(i%3) * time.Millisecond)}
		errs := make(chan error, 8)
		for range 4 {
			go func() {
				child, stop := context.WithCancel(c)
				defer stop()
				c.Err()
				<-c.Done()
				<-child.Done()
				errs <- c.Err()
			}()
			go func() {
				for c.Err() == nil {
					time.Sleep(100 * time.Microsecond)
				}
				errs <- c.Err()
			}()
		}
		time.Sleep(time.Duration(i%2) * time.Millisecond)
		c.end()
		first := <-errs
		for range 7 {
			if err := <-errs; err != first {
				t.Fatalf("round %d: one goroutine saw %v, another %v", i, first, err)
			}
		}
		if first != context.Canceled && first != context.DeadlineExceeded {
			t.Fatalf("round %d: Err = %v", i, first)
		}
	}
}
