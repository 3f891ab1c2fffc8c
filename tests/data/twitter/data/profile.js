window.YTD.profile.part0 = [
  {
    "profile" : {
      "description" : {
        "bio" : "Community builder. Python packaging & accessibility. Chicago.",
        "website" : "https://t.co/abc123",
        "location" : "Chicago, IL"
      },
      "avatarMediaUrl" : "https://pbs.twimg.com/profile_images/1/avatar.jpg",
      "headerMediaUrl" : "https://pbs.twimg.com/profile_banners/1001/1600000000"
    }
  }
]
