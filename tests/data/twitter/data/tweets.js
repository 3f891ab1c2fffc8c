window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1500000000000000001" ],
          "editableUntil" : "2022-03-05T10:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ { "text" : "python", "indices" : [ "40", "47" ] } ],
        "symbols" : [ ],
        "user_mentions" : [
          { "name" : "Terrill 🎭", "screen_name" : "terrillific", "indices" : [ "0", "12" ], "id_str" : "2002", "id" : "2002" }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "80" ],
      "favorite_count" : "3",
      "in_reply_to_status_id_str" : "1499999999999999999",
      "id_str" : "1500000000000000001",
      "in_reply_to_user_id" : "2002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1500000000000000001",
      "in_reply_to_status_id" : "1499999999999999999",
      "created_at" : "Sat Mar 05 09:30:00 +0000 2022",
      "favorited" : false,
      "full_text" : "@terrillific Great talk! The slides on #python packaging were gold.",
      "lang" : "en",
      "in_reply_to_screen_name" : "terrillific",
      "in_reply_to_user_id_str" : "2002"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          { "name" : "José Álvarez", "screen_name" : "jalvarez", "indices" : [ "3", "12" ], "id_str" : "3003", "id" : "3003" }
        ],
        "urls" : [
          { "url" : "https://t.co/xyz", "expanded_url" : "https://jalvarez.dev/posts/wheels", "display_url" : "jalvarez.dev/posts/wheels", "indices" : [ "50", "73" ] }
        ]
      },
      "display_text_range" : [ "0", "73" ],
      "favorite_count" : "0",
      "id_str" : "1500000000000000002",
      "truncated" : false,
      "retweet_count" : "12",
      "id" : "1500000000000000002",
      "created_at" : "Sun Mar 06 14:00:00 +0000 2022",
      "favorited" : false,
      "full_text" : "RT @jalvarez: How wheels are built, step by step https://t.co/xyz",
      "lang" : "en"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          { "name" : "Zoë Lambert", "screen_name" : "zoelambert", "indices" : [ "30", "41" ], "id_str" : "4004", "id" : "4004" },
          { "name" : "山田太郎", "screen_name" : "yamada_taro", "indices" : [ "46", "58" ], "id_str" : "5005", "id" : "5005" }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "90" ],
      "favorite_count" : "7",
      "id_str" : "1500000000000000003",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "1500000000000000003",
      "created_at" : "Mon Mar 07 18:45:10 +0000 2022",
      "favorited" : false,
      "full_text" : "You should all meet: @zoelambert and @yamada_taro both build screen-reader tooling.",
      "lang" : "en"
    }
  }
]
