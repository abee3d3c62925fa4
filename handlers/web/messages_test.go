package web

import "testing"

func TestAcceptLanguage(t *testing.T) {
	tests := map[string]string{
		"":                            "en",
		"zh-HK":                       "zh",
		"zh-Hant-HK, en;q=0.8":        "zh",
		"en-US,en;q=0.9,zh-TW;q=0.8":  "en",
		"fr, zh;q=0.5":                "zh",
		"zh;q=0, en":                  "en",
		"ja, de":                      "en",
		"EN;q=0.2, ZH-tw;q=0.3":       "zh",
		"zh-CN;q=0.9, en-GB;q=0.9":    "zh",
		";;;,,q=abc":                  "en",
		"en-GB;q=0.7, zh-HK;q=bogus1": "zh",
	}
	for header, want := range tests {
		t.Run(header, func(t *testing.T) {
			if got := acceptLanguage(header); got != want {
				t.Fatalf("acceptLanguage(%q) = %s, want %s", header, got, want)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]string{
		"/rounds/2026":          "/rounds/2026",
		"/a?b=c":                "/a?b=c",
		"":                      "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"/ok\r\nSet-Cookie: x":  "/",
	}
	for in, want := range tests {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
