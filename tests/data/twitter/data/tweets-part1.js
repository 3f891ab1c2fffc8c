window.YTD.tweets.part1 = [
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter for iPhone</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [
          { "url" : "https://t.co/book", "expanded_url" : "https://miaokafor.com/book", "display_url" : "miaokafor.com/book", "indices" : [ "40", "63" ] }
        ]
      },
      "display_text_range" : [ "0", "63" ],
      "favorite_count" : "1",
      "id_str" : "1500000000000000004",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1500000000000000004",
      "created_at" : "Tue Mar 08 08:00:00 +0000 2022",
      "favorited" : false,
      "full_text" : "Download my new e-book on community building! https://t.co/book",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter for iPhone</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "40" ],
      "favorite_count" : "0",
      "in_reply_to_status_id_str" : "1500000000000000004",
      "id_str" : "1500000000000000005",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1500000000000000005",
      "in_reply_to_status_id" : "1500000000000000004",
      "created_at" : "Tue Mar 08 08:01:00 +0000 2022",
      "favorited" : false,
      "full_text" : "(It is free, no sign-up, just a PDF.)",
      "lang" : "en",
      "in_reply_to_screen_name" : "miaokafor",
      "in_reply_to_user_id_str" : "1001",
      "in_reply_to_user_id" : "1001"
    }
  }
]
