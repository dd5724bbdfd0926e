package redisstore_test

import (
	"log"
	"net/http"
	"time"

	"github.com/httpmw/httpmw/ratelimit"
	"github.com/httpmw/httpmw/ratelimit/redisstore"
	"github.com/redis/go-redis/v9"
)

// Every instance that runs this shares the limit of 100 requests a minute
// per client through one Redis.
func Example() {
	client := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true, // the limiter's Timeout bounds each call
	})
	store, err := redisstore.New(redisstore.Options{Client: client})
	if err != nil {
		log.Fatal(err)
	}
	limit := ratelimit.Must(ratelimit.Options{Limit: 100, Period: time.Minute, Store: store})
	http.Handle("/", limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("hello"))
	})))
}
