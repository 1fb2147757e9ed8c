// libcurl for Swift: the public header only. Variadic calls (curl_easy_setopt,
// curl_easy_getinfo) are wrapped per argument type in CCurlShims.
#include <curl/curl.h>
