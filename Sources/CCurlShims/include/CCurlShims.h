// CCurlShims: libcurl's variadic calls for Swift (used by KubeAPI only).
// Logic-free wrappers for C macros and variadic functions that Swift cannot call. One wrapper per
// argument type; each forwards its arguments unchanged and returns the library's own result code.
// No state, no policy: all of that lives in the Swift wrappers.
#ifndef TROXILEIA_CCURLSHIMS_H
#define TROXILEIA_CCURLSHIMS_H

#include <curl/curl.h>

// MARK: libcurl (curl_easy_setopt and curl_easy_getinfo are variadic)

typedef size_t (*CShims_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*CShims_curl_xferinfo_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                             curl_off_t ultotal, curl_off_t ulnow);

CURLcode CShims_curl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode CShims_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode CShims_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode CShims_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode CShims_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode CShims_curl_easy_setopt_data_callback(CURL *handle, CURLoption option, CShims_curl_data_callback value);
CURLcode CShims_curl_easy_setopt_xferinfo_callback(CURL *handle, CShims_curl_xferinfo_callback value);
CURLcode CShims_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode CShims_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLMcode CShims_curl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

/// `CURLOPT_CAINFO_BLOB`, `CURLOPT_SSLCERT_BLOB`, `CURLOPT_SSLKEY_BLOB` take a `struct curl_blob *`.
CURLcode CShims_curl_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value);
/// `CURL_WRITEFUNC_PAUSE`: a write callback's answer that pauses the transfer and keeps the data.
size_t CShims_CURL_WRITEFUNC_PAUSE(void);
/// `curl_easy_pause(handle, CURLPAUSE_CONT)`: `CURLPAUSE_CONT` is a compound macro.
CURLcode CShims_curl_easy_pause_cont(CURL *handle);

#endif
