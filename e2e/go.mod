module github.com/httpmw/httpmw/e2e

go 1.25.0

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/httpmw/httpmw v0.0.0
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/rs/cors v1.11.1 // indirect
)

replace github.com/httpmw/httpmw => ../
