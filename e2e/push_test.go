package e2e

import (
	"bufio"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/httpmw/httpmw"
	"github.com/httpmw/httpmw/cors"
	"github.com/httpmw/httpmw/gzip"
	"github.com/httpmw/httpmw/logging"
	"github.com/httpmw/httpmw/metrics"
	"github.com/httpmw/httpmw/session"
)

// pushStack is the stack whose writers must keep http.Pusher: logging,
// metrics, cors, gzip and session, in the documented order.
func pushStack() func(http.Handler) http.Handler {
	return httpmw.Chain(
		logging.New(logging.Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}),
		metrics.Must(metrics.Options{Registerer: prometheus.NewRegistry()}),
		cors.Must(cors.Options{AllowOrigins: []string{"https://app.example"}}),
		gzip.Must(gzip.Options{}),
		session.Must(session.Options{Secret: []byte("0123456789abcdef0123456789abcdef")}),
	)
}

// pushApp pushes /style.css from / and serves both.
func pushApp(pushErr chan<- error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/style.css" {
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, "body{}")
			return
		}
		p, ok := w.(http.Pusher)
		if !ok {
			pushErr <- errors.New("the handler's writer is not an http.Pusher")
		} else {
			pushErr <- p.Push("/style.css", nil)
		}
		io.WriteString(w, "page")
	})
}

// TestPushThroughStack: over a real HTTP/2 TLS server, a handler behind
// logging, metrics, cors, gzip and session pushes a resource as a bare
// handler does: the client that enabled push gets the PUSH_PROMISE and the
// pushed body. With Go's client, which disables push, both get the same
// http.ErrNotSupported from Push; over HTTP/1.1 neither writer is a Pusher.
func TestPushThroughStack(t *testing.T) {
	for _, name := range []string{"bare", "stack"} {
		t.Run(name, func(t *testing.T) {
			pushErr := make(chan error, 4)
			h := pushApp(pushErr)
			if name == "stack" {
				h = pushStack()(h)
			}
			srv := httptest.NewUnstartedServer(h)
			srv.EnableHTTP2 = true
			srv.StartTLS()
			defer srv.Close()

			promises, pushed, err := h2GetWithPush(srv, "/")
			if err != nil {
				t.Fatal(err)
			}
			if err := <-pushErr; err != nil {
				t.Errorf("Push: %v", err)
			}
			if promises != 1 || pushed != "body{}" {
				t.Errorf("client saw %d PUSH_PROMISE frames and pushed body %q, want 1 and %q", promises, pushed, "body{}")
			}

			// Go's own client disables push: Push reaches the server's
			// writer, which says so.
			res, err := srv.Client().Get(srv.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.ProtoMajor != 2 {
				t.Fatalf("served over %s", res.Proto)
			}
			if err := <-pushErr; !errors.Is(err, http.ErrNotSupported) {
				t.Errorf("Push with push disabled by the client: %v, want http.ErrNotSupported", err)
			}
		})
	}
	t.Run("HTTP/1.1", func(t *testing.T) {
		pushErr := make(chan error, 1)
		srv := httptest.NewServer(pushStack()(pushApp(pushErr)))
		defer srv.Close()
		res, err := srv.Client().Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if err := <-pushErr; err == nil || !strings.Contains(err.Error(), "not an http.Pusher") {
			t.Errorf("over HTTP/1.1 the handler's writer claims http.Pusher (Push: %v)", err)
		}
	})
}

// h2GetWithPush is a minimal HTTP/2 client (RFC 9113) that enables server
// push, which Go's client does not: it sends GET path on stream 1 and reads
// until stream 1 and any pushed stream have ended. It returns the number of
// PUSH_PROMISE frames and the body of the pushed stream. Header blocks are
// sent as HPACK literals and the server's are not decoded.
func h2GetWithPush(srv *httptest.Server, path string) (promises int, pushed string, err error) {
	cfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	cfg.NextProtos = []string{"h2"}
	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), cfg)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if p := conn.ConnectionState().NegotiatedProtocol; p != "h2" {
		return 0, "", fmt.Errorf("negotiated %q, not h2", p)
	}
	w := bufio.NewWriter(conn)
	frame := func(typ, flags byte, stream uint32, payload []byte) {
		var hdr [9]byte
		hdr[0], hdr[1], hdr[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
		hdr[3], hdr[4] = typ, flags
		binary.BigEndian.PutUint32(hdr[5:], stream)
		w.Write(hdr[:])
		w.Write(payload)
	}
	const (
		typeData, typeHeaders, typeRST, typeSettings, typePushPromise, typePing, typeGoAway = 0x0, 0x1, 0x3, 0x4, 0x5, 0x6, 0x7
		flagEndStream, flagAck, flagEndHeaders, flagPadded                                  = 0x1, 0x1, 0x4, 0x8
	)
	w.WriteString("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	frame(typeSettings, 0, 0, []byte{0, 2, 0, 0, 0, 1}) // SETTINGS_ENABLE_PUSH = 1
	var block []byte
	for _, f := range [][2]string{
		{":method", "GET"}, {":scheme", "https"}, {":path", path}, {":authority", srv.Listener.Addr().String()},
		{"accept-encoding", "gzip"}, {"origin", "https://app.example"},
	} {
		// Literal header field without indexing, new name (RFC 7541,
		// section 6.2.2), no Huffman coding; every string is short.
		block = append(block, 0, byte(len(f[0])))
		block = append(block, f[0]...)
		block = append(block, byte(len(f[1])))
		block = append(block, f[1]...)
	}
	frame(typeHeaders, flagEndStream|flagEndHeaders, 1, block)
	if err := w.Flush(); err != nil {
		return 0, "", err
	}

	r := bufio.NewReader(conn)
	ended := map[uint32]bool{}
	var promised uint32
	var body strings.Builder
	for !ended[1] || promised != 0 && !ended[promised] {
		var hdr [9]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return promises, body.String(), fmt.Errorf("reading a frame: %v", err)
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		typ, flags, stream := hdr[3], hdr[4], binary.BigEndian.Uint32(hdr[5:])&0x7fffffff
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return promises, body.String(), err
		}
		if flags&flagPadded != 0 && (typ == typeData || typ == typeHeaders || typ == typePushPromise) && n > 0 {
			payload = payload[1 : n-int(payload[0])]
		}
		switch typ {
		case typeSettings:
			if flags&flagAck == 0 {
				frame(typeSettings, flagAck, 0, nil)
			}
		case typePing:
			if flags&flagAck == 0 {
				frame(typePing, flagAck, 0, payload)
			}
		case typePushPromise:
			promises++
			promised = binary.BigEndian.Uint32(payload) & 0x7fffffff
		case typeData:
			if stream == promised && promised != 0 {
				body.Write(payload)
			}
			if n > 0 { // give the flow-control window back
				var inc [4]byte
				binary.BigEndian.PutUint32(inc[:], uint32(n))
				frame(0x8, 0, 0, inc[:])
				frame(0x8, 0, stream, inc[:])
			}
		case typeRST:
			return promises, body.String(), fmt.Errorf("stream %d reset, code %d", stream, binary.BigEndian.Uint32(payload))
		case typeGoAway:
			return promises, body.String(), fmt.Errorf("GOAWAY, code %d", binary.BigEndian.Uint32(payload[4:]))
		}
		if (typ == typeData || typ == typeHeaders) && flags&flagEndStream != 0 {
			ended[stream] = true
		}
		if err := w.Flush(); err != nil {
			return promises, body.String(), err
		}
	}
	return promises, body.String(), nil
}
