// The SigV4 signer against AWS's published examples: the four S3 "Signature Calculations for
// the Authorization Header" examples (examplebucket, 20130524T000000Z) and the generic
// aws-sig-v4-test-suite's get-vanilla. Every expected value below is AWS's, not ours.
#include "io/aws_sigv4.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SigV4Credentials kS3Example{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr char kS3Date[] = "20130524T000000Z";

SigV4Request S3Get(std::string uri, HttpFields query, HttpFields extra = {}) {
  SigV4Request r;
  r.method = "GET";
  r.canonical_uri = std::move(uri);
  r.query = std::move(query);
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"x-amz-date", kS3Date},
               {"x-amz-content-sha256", kEmptySha}};
  for (auto& h : extra) r.headers.push_back(h);
  r.payload_sha256 = kEmptySha;
  return r;
}

TEST(AwsSigV4Test, S3GetObjectWithRange) {
  SigV4Request r = S3Get("/test.txt", {}, {{"Range", "bytes=0-9"}});
  EXPECT_EQ(CanonicalRequest(r),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(kS3Date, CredentialScope(kS3Date, "us-east-1", "s3"), CanonicalRequest(r)),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(AuthorizationHeader(r, kS3Example, "us-east-1", "s3", kS3Date),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(AwsSigV4Test, S3PutObjectSignsThePayloadAndEncodesTheKey) {
  const std::string body = "Welcome to Amazon S3.";
  SigV4Request r;
  r.method = "PUT";
  r.canonical_uri = "/" + UriEncode("test$file.text", false);
  EXPECT_EQ(r.canonical_uri, "/test%24file.text");
  r.payload_sha256 = Sha256Hex(body);
  EXPECT_EQ(r.payload_sha256, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
               {"x-amz-date", kS3Date},
               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
               {"x-amz-content-sha256", r.payload_sha256}};
  EXPECT_EQ(SignedHeaderNames(r.headers), "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
  std::string signature;
  AuthorizationHeader(r, kS3Example, "us-east-1", "s3", kS3Date, &signature);
  EXPECT_EQ(signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(AwsSigV4Test, S3GetBucketLifecycleHasAnEmptyQueryValue) {
  SigV4Request r = S3Get("/", {{"lifecycle", ""}});
  EXPECT_EQ(CanonicalQueryString(r.query), "lifecycle=");
  std::string signature;
  AuthorizationHeader(r, kS3Example, "us-east-1", "s3", kS3Date, &signature);
  EXPECT_EQ(signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(AwsSigV4Test, S3ListObjectsSortsTheQuery) {
  SigV4Request r = S3Get("/", {{"prefix", "J"}, {"max-keys", "2"}});
  EXPECT_EQ(CanonicalQueryString(r.query), "max-keys=2&prefix=J");
  std::string signature;
  AuthorizationHeader(r, kS3Example, "us-east-1", "s3", kS3Date, &signature);
  EXPECT_EQ(signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(AwsSigV4Test, TestSuiteGetVanilla) {
  SigV4Request r;
  r.method = "GET";
  r.canonical_uri = "/";
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  r.payload_sha256 = Sha256Hex("");
  EXPECT_EQ(Sha256Hex(CanonicalRequest(r)),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  SigV4Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  std::string signature;
  std::string header = AuthorizationHeader(r, creds, "us-east-1", "service", "20150830T123600Z", &signature);
  EXPECT_EQ(signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_NE(header.find("Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"), std::string::npos);
}

TEST(AwsSigV4Test, EncodingAndHeaderCanonicalForm) {
  EXPECT_EQ(UriEncode("a b/c~d_e.f-g+h=", false), "a%20b/c~d_e.f-g%2Bh%3D");
  EXPECT_EQ(UriEncode("a/b", true), "a%2Fb");
  EXPECT_EQ(UriEncode("\xc3\xa9", false), "%C3%A9");
  EXPECT_EQ(CanonicalQueryString({{"b", "x y"}, {"a", "1/2"}, {"a", "0"}}), "a=0&a=1%2F2&b=x%20y");
  SigV4Request r;
  r.method = "GET";
  r.canonical_uri = "/";
  r.headers = {{"My-Header", "  a   b  "}, {"host", "h"}};
  r.payload_sha256 = "p";
  EXPECT_EQ(CanonicalRequest(r), "GET\n/\n\nhost:h\nmy-header:a b\n\nhost;my-header\np");
  EXPECT_EQ(AmzDate(1369353600), "20130524T000000Z");
}

}  // namespace
}  // namespace strata
